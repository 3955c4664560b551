"""URLs of property management, in the `services:property` namespace."""

from django.urls import path

from services.property.views import oversight, repairs

app_name = "property"
urlpatterns = [
    # residents: report a fault from the phone, follow it in 我的
    path("report/", repairs.report, name="report"),
    path("my/", repairs.my_repairs, name="my_repairs"),
    # staff: a report taken by phone or at the counter; the repairs (a company's staff: their company's)
    path("desk/", repairs.desk, name="desk"),
    path("repairs/", repairs.repairs, name="repairs"),
    path("repairs/<int:pk>/", repairs.repair_detail, name="repair"),
    path("repairs/<int:pk>/rate/", repairs.repair_rate, name="repair_rate"),
    path("repairs/<int:pk>/<slug:step>/", repairs.repair_step, name="repair_step"),
    # oversight: companies, cleaners and owners' committees; the appraisal ranking
    path("companies/", oversight.companies, name="companies"),
    path("ranking/", oversight.ranking, name="ranking"),
    path("ranking/<int:pk>/publish/", oversight.publish, name="publish"),
]
