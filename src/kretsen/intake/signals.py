"""Events of the intake app that higher apps (groups) react to, so intake never imports them.

- ``registration_withdrawn(registration, request)``: the relative withdrew; every place they
  hold or were offered ends with it.
"""

from django.dispatch import Signal

registration_withdrawn = Signal()
