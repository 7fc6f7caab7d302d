"""The demo archive that load_demo loads, every word of it written for this project."""
