from django.urls import path

from kretsen.network import views

app_name = "network"

urlpatterns = [
    path("<uuid:network>/", views.network_home, name="home"),
]
