from django.urls import path

from netweave.meetings.views import agenda as views

urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<uuid:uid>/vote/", views.offer_vote, name="offer_vote"),
    path("offers/<uuid:uid>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<uuid:uid>/decline/", views.offer_decline, name="offer_decline"),
    path("<uuid:uid>/agenda/", views.agenda_edit, name="agenda"),
    path("<uuid:uid>/agenda/print/", views.agenda_print, name="agenda_print"),
    path("<uuid:uid>/agenda/builder/", views.agenda_builder, name="agenda_builder"),
    path("<uuid:uid>/agenda/items/<uuid:item>/", views.agenda_item_edit, name="agenda_item_edit"),
    path(
        "<uuid:uid>/agenda/items/<uuid:item>/delete/",
        views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "<uuid:uid>/agenda/items/<uuid:item>/move/",
        views.agenda_item_move,
        name="agenda_item_move",
    ),
]
