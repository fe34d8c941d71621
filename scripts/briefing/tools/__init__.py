"""Contributors' tools: formatting and new entries, reports, the link check, the benchmark, archiving, new projects."""
