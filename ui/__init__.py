"""Qt widgets of the plugin: the dock, its sub-widgets and dialogs (docs/architecture.md §3, ``ui/`` rows)."""
