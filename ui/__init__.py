"""Qt widgets of the plugin: the dock, its sub-widgets and dialogs (style guide §1, ``ui/`` rows)."""
