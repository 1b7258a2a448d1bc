"""The audit table (exact points), its reasons, exact arithmetic and ranks, explain."""
