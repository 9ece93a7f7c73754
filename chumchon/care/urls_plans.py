from django.urls import path

from chumchon.care import views_outcomes, views_plans, views_referrals, views_tambon_plan

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
    path("care/tambon-plan/", views_tambon_plan.tambon_plan, name="tambon_plan"),
    path("care/tambon-plan/draft/", views_tambon_plan.tambon_plan_draft, name="tambon_plan_draft"),
    path("care/tambon-plan/programmes/<int:programme_id>/", views_tambon_plan.programme_detail,
         name="programme_detail"),
    path("care/tambon-plan/<int:fiscal_year>.xlsx", views_tambon_plan.export_xlsx, name="tambon_plan_xlsx"),
    path("care/tambon-plan/<int:fiscal_year>.pdf", views_tambon_plan.export_pdf, name="tambon_plan_pdf"),
]
