"""The `briefing` commands, one module each: its arguments (`add_parser`) and what it does (`run`)."""
