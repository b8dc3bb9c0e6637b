from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.base_summary import BaseSummary
    from ..models.job import Job


T = TypeVar("T", bound="Restoring")


@_attrs_define
class Restoring:
    """What a restore or a clone answers: the new base (usable once its job succeeded) and
    the job, followed at `/v1/jobs/{jobId}` of the new base.

        Attributes:
            base (BaseSummary): A base.
            job (Job): A job as the API shows it.
    """

    base: BaseSummary
    job: Job
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base = self.base.to_dict()

        job = self.job.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base": base,
                "job": job,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.base_summary import BaseSummary
        from ..models.job import Job

        d = dict(src_dict)
        base = BaseSummary.from_dict(d.pop("base"))

        job = Job.from_dict(d.pop("job"))

        restoring = cls(
            base=base,
            job=job,
        )

        restoring.additional_properties = d
        return restoring

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
