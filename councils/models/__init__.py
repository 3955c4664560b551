"""The three councils (三会): members and their nomination, meetings, agenda, attendance, minutes,
resolutions (决议) and their progress, residents' suggestions (献计献策), and the joint council's resources."""

from councils.models.comments import SUBJECTS, Comment, CommentFollow, CommentReport, subject_kind
from councils.models.councils import Council, CouncilMember, Nomination, Project, ResourcePledge
from councils.models.meetings import (
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesAddendum,
    MinutesAttachment,
    MinutesItem,
    Quorum,
    validate_attachment,
)
from councils.models.resolutions import Resolution, ResolutionProgress
from councils.models.suggestions import Suggestion, SuggestionSupport, new_tracking_number
from councils.models.surveys import Answer, Option, Question, Response, Survey
from councils.models.voting import Ballot, Motion, Speaker

__all__ = [
    "SUBJECTS",
    "Answer",
    "Option",
    "Question",
    "Response",
    "Survey",
    "AgendaItem",
    "Comment",
    "CommentFollow",
    "CommentReport",
    "Attendance",
    "Ballot",
    "Council",
    "CouncilMember",
    "Meeting",
    "Minutes",
    "MinutesAddendum",
    "MinutesAttachment",
    "MinutesItem",
    "Motion",
    "Nomination",
    "Project",
    "Quorum",
    "Resolution",
    "ResolutionProgress",
    "ResourcePledge",
    "Speaker",
    "Suggestion",
    "SuggestionSupport",
    "new_tracking_number",
    "subject_kind",
    "validate_attachment",
]
