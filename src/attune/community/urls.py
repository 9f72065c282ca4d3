from django.urls import path

from attune.community import views

app_name = "community"
urlpatterns = [
    path("community/partners/", views.partner_list, name="partner_list"),
    path("community/partners/new/", views.partner_new, name="partner_new"),
    path("community/partners/<int:partner_id>/edit/", views.partner_edit, name="partner_edit"),
    path(
        "community/partners/<int:partner_id>/delete/", views.partner_delete, name="partner_delete"
    ),
    path("community/referrals/counts/", views.referral_counts, name="referral_counts"),
    path("clients/<int:client_id>/referrals/", views.client_referrals, name="client_referrals"),
    path("community/referrals/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("community/referrals/<int:referral_id>/link/", views.referral_link, name="referral_link"),
]
