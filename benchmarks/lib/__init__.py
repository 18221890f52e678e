"""The w2n benchmark runner's modules (see ../run)."""
