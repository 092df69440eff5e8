from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("<int:pk>/", views.commitment_detail, name="commitment-detail"),
]
