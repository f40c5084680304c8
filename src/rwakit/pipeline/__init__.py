"""The write path: operation intake, batching into transactions, confirmation."""
