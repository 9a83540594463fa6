from django.urls import path

from pocketbook.offline import views

app_name = "offline"
urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.shell, name="shell"),
    path("offline/devices/", views.device_list, name="device_list"),
    path("offline/conflicts/", views.conflict_list, name="conflict_list"),
    path("offline/conflicts/<int:pk>/resolve/", views.conflict_resolve, name="conflict_resolve"),
]
