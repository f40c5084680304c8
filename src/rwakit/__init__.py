"""rwakit: issue and operate tokenized real-world assets on EVM chains."""

__version__ = "0.1.0"
