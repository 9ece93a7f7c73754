from django.urls import path

from chumchon.care import views_outcomes, views_plans, views_referrals

app_name = "care_plans"

urlpatterns = [
    path("people/<int:person_id>/plans/new/", views_plans.plan_new, name="plan_new"),
    path("care/plans/", views_plans.plan_list, name="plan_list"),
    path("care/plans/<int:plan_id>/", views_plans.plan_detail, name="plan_detail"),
    path("care/plans/<int:plan_id>/goals/", views_plans.goal_add, name="goal_add"),
    path("care/plans/<int:plan_id>/reviews/", views_plans.plan_review_add, name="review_add"),
    path("care/plans/<int:plan_id>/<slug:move>/", views_plans.plan_move, name="plan_move"),
    path("care/goals/<int:goal_id>/actions/", views_plans.action_add, name="action_add"),
    path("care/goals/<int:goal_id>/evidence/", views_plans.goal_evidence, name="goal_evidence"),
    path("care/actions/<int:action_id>/status/", views_plans.action_status, name="action_status"),
    path("people/<int:person_id>/referrals/new/", views_referrals.referral_new, name="referral_new"),
    path("care/referrals/", views_referrals.referral_list, name="referral_list"),
    path("care/referrals/queue/", views_referrals.referral_queue, name="referral_queue"),
    path("care/referrals/<int:referral_id>/", views_referrals.referral_detail, name="referral_detail"),
    path("care/referrals/<int:referral_id>/<slug:move>/", views_referrals.referral_move, name="referral_move"),
    path("care/outcomes/", views_outcomes.outcomes, name="outcomes"),
]
