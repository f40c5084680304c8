"""Pure model of rwakit: no I/O, nothing of ours imported."""
