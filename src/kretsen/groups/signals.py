"""Events of the groups app that higher apps (care) react to, so groups never imports them.

- ``member_activated(member)``: someone took their place in a group.
- ``group_finished(group)``: the led period ended (the group became self-run or ended).
"""

from django.dispatch import Signal

member_activated = Signal()
group_finished = Signal()
