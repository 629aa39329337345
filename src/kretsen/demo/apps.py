from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: the app is installed so that its commands (load_demo, demo_totp) are found."""

    name = "kretsen.demo"
    label = "demo"
