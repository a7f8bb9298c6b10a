"""Request bodies of the registry endpoints (registration, search, duplicates decisions)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from corridor.entrypoints.api.models import Id, PersonIn, Short, Strict, Text
from corridor.protection.person import EARLIEST_BIRTH_YEAR


class RegistrationIn(PersonIn):
    other_name: Short = Field(default="", description="The same name in the other script.")
    birth_year: Annotated[int, Field(ge=EARLIEST_BIRTH_YEAR, le=2200)] | None = None
    group: Short = ""
    origin: Short = Field(default="", description="Neighbourhood or village of origin.")
    ref: Short = Field(default="", description="The registrant's own reference (family card).")


class Search(Strict):
    full_name: Text
    purpose: Text


class Merge(Strict):
    kept: Id
    duplicate: Id


class KeepApart(Strict):
    people: Annotated[list[Id], Field(min_length=2, max_length=2)]


class Reverse(Strict):
    reason: Text


class TracingIn(Strict):
    full_name: Text = Field(description="The name of the person sought, in either script.")
    birth_year: Annotated[int, Field(ge=EARLIEST_BIRTH_YEAR, le=2200)] | None = None
    sex: Short = ""
    origin: Short = ""
    seeker: Id | None = Field(default=None, description="The person id of who is looking.")
    last_seen_site: Id | None = None
    trip: Id | None = Field(default=None, description="The trip the person was last seen on.")
