"""Load: the registry read safely from YAML, validated against its schema, built into the model."""
