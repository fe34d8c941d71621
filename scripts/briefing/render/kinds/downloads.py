"""The downloads (facts.json, the CSV files, the references): files, not pages, made by render/downloads.py."""

from __future__ import annotations

from briefing.render.chart_data import data_files
from briefing.render.kinds.base import Kind

KIND = Kind("downloads", files=data_files)
