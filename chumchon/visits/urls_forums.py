"""Pages for verification (/review/) and village forums (/forums/)."""

from django.urls import path

from chumchon.visits.views import forums, review

urlpatterns = [
    path("forums/", forums.forum_list, name="forum-list"),
    path("forums/<int:forum_id>/", forums.forum_detail, name="forum-detail"),
    path("forums/<int:forum_id>/pdf", forums.forum_pdf, name="forum-pdf"),
    path("forums/<int:forum_id>/attendees/", forums.forum_attendees, name="forum-attendees"),
    path("forums/<int:forum_id>/marks/", forums.forum_mark, name="forum-mark"),
    path("forums/<int:forum_id>/add/", forums.forum_add, name="forum-add"),
    path("forums/<int:forum_id>/close/", forums.forum_close, name="forum-close"),
    path("review/", review.review_list, name="review-list"),
    path("review/<str:kind>/<int:record_id>/verify/", review.review_verify, name="review-verify"),
    path("review/<str:kind>/<int:record_id>/send-back/", review.review_send_back, name="review-send-back"),
    path("review/<str:kind>/<int:record_id>/submit/", review.review_submit, name="review-submit"),
]
