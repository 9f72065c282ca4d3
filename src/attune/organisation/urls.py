from django.urls import path

from attune.organisation import views

app_name = "organisation"
urlpatterns = [
    path("organisation/assessments/", views.assessment_list, name="assessment_list"),
    path("organisation/assessments/new/", views.assessment_new, name="assessment_new"),
    path(
        "organisation/assessments/<int:assessment_id>/",
        views.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "organisation/assessments/<int:assessment_id>/edit/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path(
        "organisation/assessments/<int:assessment_id>/compare/<int:other_id>/",
        views.assessment_compare,
        name="assessment_compare",
    ),
    path("organisation/items/<int:item_id>/", views.assessment_item, name="assessment_item"),
    path(
        "organisation/items/<int:item_id>/documents/",
        views.item_document_upload,
        name="item_document_upload",
    ),
    path("organisation/actions/", views.action_board, name="action_board"),
    path("organisation/actions/new/", views.action_new, name="action_new"),
    path("organisation/actions/<int:action_id>/", views.action_detail, name="action_detail"),
    path("organisation/actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("organisation/training/", views.training_list, name="training_list"),
    path("organisation/training/new/", views.training_new, name="training_new"),
    path("organisation/training/summary/", views.training_summary, name="training_summary"),
    # Public: no sign-in.
    path("access-statement/", views.public_statement, name="public_statement"),
    path("access-statement/<str:language>/", views.public_statement_in, name="public_statement_in"),
]
