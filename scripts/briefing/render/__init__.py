"""Render: the pages, charts, downloads and the engine-neutral site source."""
