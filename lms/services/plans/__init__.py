"""Personal action plans and their export."""
