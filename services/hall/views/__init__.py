"""Pages of the one-stop service hall, by topic: `catalogue` (public), `booking` and `cases` (the resident, or staff
on their behalf), `desk` (the counter desk and the public board).

Every object loads through a scoped query (`visible_to`, `staff_object`): another resident's booking or another
community's counter is a 404; a role without the permission is a 403. Views parse a form, call one action from
services.hall.actions, and redirect.
"""
