"""Built-in plugins, registered like any third-party plugin."""
