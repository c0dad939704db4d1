"""The skill catalogue and training modules (YAML data, validated on load)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coaching.yamlio import load_yaml_model

CATALOG_DIR: Traversable = resources.files("coaching") / "catalog"  # package data


class Skill(BaseModel):
    """A coachable skill. `id` equals the `coaching` tag on inspection rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    description: str
    modules: tuple[str, ...] = Field(min_length=1)


class TrainingModule(BaseModel):
    """One training module an agent can be assigned."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    skill: str
    minutes: int = Field(gt=0)
    format: str


class SkillCatalogue(BaseModel):
    """Skills and modules; every module reference must resolve to a module of that skill."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    skills: tuple[Skill, ...]
    modules: tuple[TrainingModule, ...]
    rule_skills: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references_resolve(self) -> SkillCatalogue:
        skill_ids = [skill.id for skill in self.skills]
        if len(set(skill_ids)) != len(skill_ids):
            raise ValueError("skill ids are not unique")
        modules = {module.id: module for module in self.modules}
        for module in self.modules:
            if module.skill not in skill_ids:
                raise ValueError(f"module {module.id}: unknown skill {module.skill!r}")
        for skill in self.skills:
            for module_id in skill.modules:
                if module_id not in modules:
                    raise ValueError(f"skill {skill.id}: unknown module {module_id!r}")
        for rule_id, skill_id in self.rule_skills.items():
            if skill_id not in skill_ids:
                raise ValueError(f"rule_skills {rule_id}: unknown skill {skill_id!r}")
        return self

    def skill_of(self, rule_id: str, tag: str | None) -> str | None:
        """The skill a finding trains: its rule's `coaching` tag, else the fallback table."""
        return tag or self.rule_skills.get(rule_id)

    def skill(self, skill_id: str) -> Skill | None:
        return next((s for s in self.skills if s.id == skill_id), None)

    def module_for(self, skill_id: str) -> TrainingModule | None:
        """The first (default) module recommended for `skill_id`."""
        skill = self.skill(skill_id)
        if skill is None:
            return None
        return next(m for m in self.modules if m.id == skill.modules[0])


@cache
def load_skill_catalogue(path: Traversable = CATALOG_DIR / "skills.yaml") -> SkillCatalogue:
    """Load (once per path) and validate the skill catalogue."""
    return load_yaml_model(path, SkillCatalogue)
