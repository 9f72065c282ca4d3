from django.urls import path

from attune.roster import views

app_name = "roster"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<int:batch_id>/", views.import_batch, name="batch"),
    path("import/<int:batch_id>/apply/", views.import_apply, name="apply"),
]
