"""Settings live in four modules: base, local, test and production (chosen by DJANGO_SETTINGS_MODULE)."""
