"""Server-rendered pages (for now the status page `rwakit up` serves)."""
