"""Demonstration and institution-scale data, apart from the product code."""
