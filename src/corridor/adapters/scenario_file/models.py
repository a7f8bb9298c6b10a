"""The scenario file's shape, as strict pydantic models (the edge of the system).

These models say what each field must look like on its own: types, ranges,
id spelling, unknown keys. Rules that span fields (references, connected
corridors, duplicate ids) live in `checks.py`, so every defect of both kinds
is reported in one pass. The JSON Schema in `docs/scenario.schema.json` is
generated from these models, so the file format has a single definition.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from corridor.domain.scenario import Group, Role, SiteKind
from corridor.domain.shelters import Climate, Supply

FORMAT_VERSION = 1

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64),
    Field(description="Lowercase letters, digits and '-', starting with a letter or digit."),
]
Text = Annotated[str, StringConstraints(min_length=1)]
ArabicText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200),
    Field(description="Arabic script: Arabic letters, spaces, brackets, '/', '،', '.', '-'."),
]
ARABIC_NAME = re.compile(r"[\u0600-\u06FF\s()/.'-]+")


class OtherScriptName(BaseModel):
    """Mixin: a name in Arabic script (`name_ar`), allowed only with its source."""

    @field_validator("name_ar", check_fields=False)
    @classmethod
    def _arabic_script(cls, value: str | None) -> str | None:
        if value is not None and not ARABIC_NAME.fullmatch(value):
            raise ValueError(
                "expected a name in Arabic script (Arabic letters, spaces, brackets, '/', "
                f"'.', '-'), found {value!r}"
            )
        return value

    @model_validator(mode="after")
    def _name_ar_sourced(self) -> Any:
        given = getattr(self, "name_ar", None) is not None
        if given and getattr(self, "name_ar_source", None) is None:
            raise ValueError("name_ar needs name_ar_source: say where the Arabic spelling is from")
        return self


class Strict(BaseModel):
    """Base: no coercion, no unknown keys, no NaN or infinity."""

    model_config = ConfigDict(
        strict=True, extra="forbid", allow_inf_nan=False, frozen=True, use_attribute_docstrings=True
    )


class SourceModel(Strict):
    """Where a figure comes from; `note` says which value was taken where sources disagree."""

    text: Text
    """The source: publisher, document and date (e.g. 'OCHA Aleppo Situation Report No. 10')."""
    note: str = ""
    """Assumptions, derivations, and which value was chosen among disagreeing sources."""


class CoordinatesModel(Strict):
    """A WGS84 position in decimal degrees."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    approximate: bool = False
    """True when the place was set from descriptions or distances, not surveyed."""


class CapacityModel(Strict):
    """Places for one group at a site: shelter places, hospital beds."""

    group: Group
    places: int = Field(ge=0)
    source: SourceModel | None = None


class ShelterModel(Strict):
    """Places of one declared shelter kind at a site, and what they can grow to."""

    kind: Id
    """A `shelter_kinds` id."""
    places: int = Field(ge=0)
    """People it holds now."""
    expandable_to: int | None = Field(default=None, ge=0)
    """People it holds once expanded (at least `places`); absent when it cannot grow."""
    lead_hours: float = Field(default=0.0, ge=0)
    """Hours after the start before the expanded places are ready."""
    covered_m2: float | None = Field(default=None, gt=0)
    """Covered living space of all its places, when reported."""
    source: SourceModel | None = None


class StockModel(Strict):
    """A declared stock of one supply at a reception site."""

    item: Supply
    quantity: float = Field(ge=0)
    """Amount in stock at the start (litres, kcal, m2 or items)."""
    daily: float = Field(default=0.0, ge=0)
    """Amount delivered each day after the first."""
    source: SourceModel | None = None


class ReceptionModel(Strict):
    """What a reception site offers: shelters by kind, stocks, P-code and climate."""

    pcode: str | None = None
    """OCHA administrative P-code (e.g. SY0200): 2 capital letters, then 2-12 digits."""
    climate: Climate = Climate.TEMPERATE
    """`cold` raises the covered space per person and adds blankets and winter kits."""
    shelters: list[ShelterModel] = Field(min_length=1)
    stocks: list[StockModel] = Field(default_factory=list)
    near_services: bool = False
    """Health and disability services on site or close by (for the elderly and disabled)."""
    source: SourceModel | None = None

    @field_validator("pcode")
    @classmethod
    def _pcode(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Z]{2}[0-9]{2,12}", value):
            raise ValueError(
                "expected an OCHA P-code like SY07 or SY0200 (2 capital letters, then digits), "
                f"found {value!r}"
            )
        return value


class SiteModel(Strict, OtherScriptName):
    """A place: enclave, assembly point, checkpoint, crossing, staging, shelter, hospital, depot."""

    id: Id
    name: Text
    kinds: list[SiteKind] = Field(min_length=1)
    coordinates: CoordinatesModel | None = None
    capacities: list[CapacityModel] = Field(default_factory=list)
    service_rate_per_hour: float | None = Field(default=None, gt=0)
    """Vehicles screened per hour; required for checkpoints and crossings, shared by movements."""
    source: SourceModel | None = None
    reception: ReceptionModel | None = None
    """Shelters, stocks and climate, for sites that receive people."""
    name_ar: ArabicText | None = None
    """The name in Arabic script, shown in the Arabic edition of the dashboard."""
    name_ar_source: SourceModel | None = None
    """Where the Arabic spelling is from (e.g. an Arabic article or a gazetteer)."""


class LinkModel(Strict):
    """A road segment between two sites, both ways unless `one_way` (then a to b only)."""

    id: Id
    a: Id
    b: Id
    minutes: float = Field(gt=0)
    """Loaded convoy travel time in minutes."""
    km: float | None = Field(default=None, ge=0)
    vehicles_per_hour: float | None = Field(default=None, gt=0)
    """Throughput of the road segment; no limit when absent."""
    one_way: bool = False
    source: SourceModel | None = None


class CorridorModel(Strict):
    """An agreed route: the ordered sites a movement must pass, consecutive ones linked."""

    id: Id
    name: str = ""
    sites: list[Id] = Field(min_length=2)


class SpreadModel(Strict):
    """A range: lowest, most likely and highest value (a triangular spread)."""

    low: float = Field(ge=0)
    mode: float = Field(ge=0)
    high: float = Field(ge=0)


class VehicleKindModel(Strict):
    """A kind of vehicle: seats for sitting people, stretcher places for stretcher cases."""

    id: Id
    name: str = ""
    seats: int = Field(ge=0)
    stretchers: int = Field(default=0, ge=0)
    standing: int = Field(default=0, ge=0)
    """People of sitting groups allowed on board beyond the seats (a boarding's door check)."""
    occupancy: SpreadModel | None = None
    """Sitting people aboard a simulated loaded trip, drawn per trip (<= seats + standing)."""
    source: SourceModel | None = None


class FleetUnitModel(Strict):
    """`count` vehicles of one kind at a depot site, ready `lead_minutes` after the start."""

    kind: Id
    depot: Id
    count: int = Field(ge=0)
    lead_minutes: float = Field(default=0.0, ge=0)
    ids: list[Id] = Field(default_factory=list)
    """Vehicle ids, one per vehicle (as many as `count`); absent: `{kind}-{depot}-{n}`."""
    lost_minutes: float | None = Field(default=None, ge=0)
    """Minutes after the start when these vehicles are lost (after `lead_minutes`)."""
    movements: list[Id] = Field(default_factory=list)
    """Movements these vehicles serve; absent: any."""
    pickups: list[Id] = Field(default_factory=list)
    """Sites where these vehicles load (a staging ground's onward fleet); absent: any."""
    party: Id | None = None
    """The organisation (an `organisations` id) the vehicles belong to or were sent by."""
    source: SourceModel | None = None


class PopulationModel(Strict):
    """People of one group waiting at one site (on the movement's corridor) to join a movement."""

    movement: Id
    site: Id
    group: Group
    count: int = Field(ge=0)
    source: SourceModel | None = None


class MovementModel(Strict, OtherScriptName):
    """One agreed evacuation stream: its corridor starts at its origin."""

    id: Id
    name: str = ""
    origin: Id
    corridor: Id
    destinations: list[Id] = Field(min_length=1)
    """Sites where people are received: on the corridor or reachable from its last site."""
    groups: list[Group] = Field(min_length=1)
    """Groups the agreement lets this movement carry."""
    staging: Id | None = None
    """A staging site on the corridor after the origin: sitting loads shuttle there and go on."""
    source: SourceModel | None = None
    name_ar: ArabicText | None = None
    """The name in Arabic script, shown in the Arabic edition of the dashboard."""
    name_ar_source: SourceModel | None = None
    """Where the Arabic spelling is from."""


class PrivateFlowModel(Strict):
    """Private cars and trucks leaving a movement's pickup site under the deal's terms."""

    movement: Id
    site: Id
    """Where they load: a site of the movement's corridor."""
    kind: Id
    """A `vehicle_kinds` id (its seats, standing and occupancy)."""
    vehicles: int = Field(ge=0)
    """Vehicles leaving over the operation."""
    per_hour: float = Field(gt=0)
    """Mean vehicles leaving per hour (gaps drawn at random)."""
    lead_minutes: float = Field(default=0.0, ge=0)
    """Minutes after the start when the first may leave."""
    screening: SpreadModel | None = None
    """Minutes to screen one of them at a checkpoint; absent: the checkpoint's own time."""
    groups: list[Group] = Field(default_factory=lambda: [Group.CIVILIANS], min_length=1)
    """Groups they carry (sitting groups only)."""
    source: SourceModel | None = None


class OrganisationModel(Strict):
    """A party, guarantor or monitor of the agreement."""

    id: Id
    name: Text
    role: Role
    source: SourceModel | None = None


class ShelterKindModel(Strict):
    """A kind of place to stay: the groups it houses and, for beds, the level of care."""

    id: Id
    name: str = ""
    houses: list[Group] = Field(min_length=1)
    """Groups these places may take (a bed of level 2 for stretcher cases, and so on)."""
    care_level: int | None = Field(default=None, ge=1, le=3)
    """Hospital beds only: 1 basic, 2 secondary (surgery), 3 intensive care."""
    source: SourceModel | None = None


class HouseholdShareModel(Strict):
    """The share of civilians who travel in households of `people` persons."""

    people: int = Field(ge=1, le=50)
    share: float = Field(gt=0, le=1)


class HouseholdsModel(Strict):
    """How one movement's civilians come in households (shares add up to 1)."""

    movement: Id
    sizes: list[HouseholdShareModel] = Field(min_length=1)
    near_services_share: float = Field(default=0.0, ge=0, le=1)
    """Share of households with an elderly or disabled member: sheltered only near services."""
    source: SourceModel | None = None


class ScenarioFile(Strict):
    """A scenario file: the static world of one operation."""

    format: int = Field(default=FORMAT_VERSION, ge=FORMAT_VERSION, le=FORMAT_VERSION)
    """Version of this file format; only 1 exists."""
    id: Id
    name: Text
    description: str = ""
    start: str
    """Local start time of the operation, ISO 8601 without offset (e.g. 2016-12-15T05:00)."""
    timezone: str
    """IANA time zone of `start` (e.g. Asia/Damascus)."""
    sources: list[SourceModel] = Field(default_factory=list)
    """Sources for the scenario as a whole (start time, overall figures)."""
    sites: list[SiteModel] = Field(min_length=1)
    links: list[LinkModel] = Field(default_factory=list)
    corridors: list[CorridorModel] = Field(default_factory=list)
    vehicle_kinds: list[VehicleKindModel] = Field(default_factory=list)
    fleet: list[FleetUnitModel] = Field(default_factory=list)
    populations: list[PopulationModel] = Field(default_factory=list)
    movements: list[MovementModel] = Field(default_factory=list)
    organisations: list[OrganisationModel] = Field(default_factory=list)
    incident_kinds: list[Id] = Field(default_factory=list)
    """Incident kinds that may be reported (with the agreement's own list, if any)."""
    shelter_kinds: list[ShelterKindModel] = Field(default_factory=list)
    """Kinds of shelter places that sites' `reception.shelters` refer to."""
    households: list[HouseholdsModel] = Field(default_factory=list)
    """Household sizes per movement; reception keeps each household together."""
    private_flows: list[PrivateFlowModel] = Field(default_factory=list)
    """Private vehicles leaving under the deal's terms, per movement."""
    agreement: Any = Field(
        default=None,
        json_schema_extra={"anyOf": [{"type": "object"}, {"type": "string"}]},
    )
    """The agreement's terms: a mapping, or a file name relative to this file."""
    disruption: Any = Field(
        default=None,
        json_schema_extra={"anyOf": [{"type": "object"}, {"type": "string"}]},
    )
    """Disruptions for the simulator: a mapping, or a file name relative to this file."""

    @field_validator("start")
    @classmethod
    def _local_iso_time(cls, value: str) -> str:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"expected a local ISO 8601 date and time like 2016-12-15T05:00, found {value!r}"
            ) from None
        if moment.tzinfo is not None:
            raise ValueError(
                "expected a local time without UTC offset (the zone is `timezone`), "
                f"found {value!r}"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"expected an IANA time zone like Asia/Damascus, found {value!r}"
            ) from None
        return value
