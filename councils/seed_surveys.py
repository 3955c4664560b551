"""The demo community's surveys (民意调查): the parking plan put to the households before the coming deliberation
meeting (open, attached to the parking suggestion's agenda item), last winter's heating survey (results published)
and a culture-needs survey that has ended and waits for its results to be published (the secretary's workbench).
Bulk inserts: about a dozen statements."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import F
from django.utils import timezone

from councils.models import AgendaItem, Answer, Council, Option, Question, Response, Survey
from residents.models import Resident

S, M, SC, T = Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE, Question.Kind.TEXT

# (title, intro, per household, days from today it opened, days it lasts, status, questions)
# A question: (kind, text, required, options, shown only if question n (1-based) got option m (1-based)).
SURVEYS = [
    (
        "小区停车位划线方案征求意见",
        "党居议事会将在下次例会讨论停车位划线。请每户选一个方案，您的意见会写进会议纪要。",
        True,
        -5,
        14,
        Survey.Status.OPEN,
        [
            (
                S,
                "您家支持哪种停车方案？",
                True,
                ["方案一：东侧空地划设车位60个", "方案二：夜间错峰停放在学校操场", "两种都不支持"],
                None,
            ),
            (M, "不支持的主要原因（可多选）", True, ["收费太高", "占用活动场地", "担心噪音", "其他"], (1, 3)),
            (SC, "您对目前小区停车秩序的满意程度", True, [], None),
            (T, "对停车管理的其他建议", False, [], None),
        ],
    ),
    (
        "2025—2026年度冬季供暖满意度调查",
        "供暖季已结束，请为本年度供暖效果和服务打分，结果将反馈给供热公司。",
        False,
        -120,
        21,
        Survey.Status.PUBLISHED,
        [
            (SC, "您对今年室内温度的满意程度", True, [], None),
            (S, "今年供暖期间家里是否出现过暖气不热？", True, ["没有", "偶尔", "经常"], None),
            (M, "希望改进的方面（可多选）", False, ["报修响应速度", "收费透明", "管道维修通知"], None),
            (T, "对供暖工作的意见和建议", False, [], None),
        ],
    ),
    (
        "社区文化活动需求调查",
        "文化服务站准备下半年的活动计划，想听听大家喜欢什么活动。",
        False,
        -20,
        14,
        Survey.Status.CLOSED,
        [
            (M, "您愿意参加哪些活动？（可多选）", True, ["广场舞", "书法绘画", "戏曲", "健康讲座", "亲子活动"], None),
            (S, "您方便参加活动的时间", True, ["工作日上午", "工作日晚上", "周末"], None),
            (T, "您还希望社区组织什么活动？", False, [], None),
        ],
    ),
]
TEXTS = [
    "希望尽快落实，晚上停车太难了。",
    "消防通道一定要保持畅通。",
    "建议优先照顾老年人家庭。",
    "收费标准要公开。",
    "暖气比去年好多了，谢谢社区。",
    "希望多组织书法活动。",
]


def seed_surveys(community, rng: random.Random, deliberation: Council, residents: list, secretary) -> None:
    """The demo community's three surveys with answers from the demo residents."""
    now = timezone.now()
    households = dict(Resident.objects.filter(user__in=residents).values_list("user_id", "household_id"))
    coming = AgendaItem.objects.filter(meeting__council=deliberation, meeting__status="scheduled").select_related(
        "suggestion", "meeting"
    )
    item = coming.filter(suggestion__category="parking").first()
    if item is None:
        other = coming.order_by("-order").first()
        if other is not None:  # the parking plan joins the coming meeting's agenda
            item = AgendaItem.objects.create(
                meeting=other.meeting, order=other.order + 1, title="小区停车位划线方案", description=SURVEYS[0][1]
            )
    surveys = []
    for title, intro, per_household, start, days, status, _qs in SURVEYS:
        opens = now + dt.timedelta(days=start)
        closes = opens + dt.timedelta(days=days)
        surveys.append(
            Survey(
                community=community, council=deliberation if per_household else None, title=title, intro=intro,
                per_household=per_household, opens_at=opens, closes_at=closes, status=status, created_by=secretary,
                created_at=opens - dt.timedelta(days=2), suggestion=item.suggestion if item and per_household else None,
                agenda_item=item if per_household else None,
                published_at=closes + dt.timedelta(days=3) if status == Survey.Status.PUBLISHED else None,
            )
        )  # fmt: skip
    surveys = Survey.objects.bulk_create(surveys)
    questions, spec = [], []
    for survey, (*_head, qs) in zip(surveys, SURVEYS, strict=True):
        for order, (kind, text, required, options, _cond) in enumerate(qs, 1):
            questions.append(Question(survey=survey, order=order, kind=kind, text=text, required=required))
            spec.append(options)
    questions = Question.objects.bulk_create(questions)
    options = Option.objects.bulk_create(
        Option(question=q, order=i, text=t)
        for q, texts in zip(questions, spec, strict=True)
        for i, t in enumerate(texts, 1)
    )
    by_question: dict[int, list[Option]] = {}
    for o in options:
        by_question.setdefault(o.question_id, []).append(o)
    per_survey: dict[int, list[Question]] = {}
    for q in questions:
        per_survey.setdefault(q.survey_id, []).append(q)
    conditional = []
    for survey, (*_head, qs) in zip(surveys, SURVEYS, strict=True):
        mine = per_survey[survey.pk]
        for q, (*_q, cond) in zip(mine, qs, strict=True):
            if cond:
                q.show_if_option = by_question[mine[cond[0] - 1].pk][cond[1] - 1]
                conditional.append(q)
    Question.objects.bulk_update(conditional, ["show_if_option"])

    responses, plans = [], []
    for survey in surveys:
        seen_households = set()
        share = 0.6 if survey.status == Survey.Status.OPEN else 0.9
        for user in residents:
            household = households.get(user.pk)
            if rng.random() > share or (survey.per_household and (household is None or household in seen_households)):
                continue
            seen_households.add(household)
            answered = survey.opens_at + dt.timedelta(hours=rng.randint(1, 24 * 5))
            responses.append(Response(survey=survey, user=user, household_id=household if survey.per_household else None, created_at=min(answered, now)))  # fmt: skip
            plans.append(survey)
    responses = Response.objects.bulk_create(responses)
    answers = []
    for response, survey in zip(responses, plans, strict=True):
        picked: set[int] = set()
        for q in per_survey[survey.pk]:
            if q.show_if_option_id and q.show_if_option_id not in picked:
                continue
            opts = by_question.get(q.pk, [])
            if q.kind == S:
                o = rng.choices(opts, weights=[5, 3, 2][: len(opts)] + [1] * (len(opts) - 3))[0]
                picked.add(o.pk)
                answers.append(Answer(response=response, question=q, option=o))
            elif q.kind == M:
                for o in rng.sample(opts, rng.randint(1 if q.required else 0, min(3, len(opts)))):
                    answers.append(Answer(response=response, question=q, option=o))
            elif q.kind == SC:
                answers.append(
                    Answer(
                        response=response, question=q, value=rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 5, 3])[0]
                    )
                )
            elif rng.random() < 0.4:
                answers.append(Answer(response=response, question=q, text=rng.choice(TEXTS)))
    Answer.objects.bulk_create(answers)
    counts: dict[int, int] = {}
    for survey in plans:
        counts[survey.pk] = counts.get(survey.pk, 0) + 1
    for survey in surveys:
        Survey.objects.filter(pk=survey.pk).update(responses_count=F("responses_count") + counts.get(survey.pk, 0))
