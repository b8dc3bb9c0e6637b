"""Contains all the data models used in inputs/outputs"""

from .aggregate import Aggregate
from .allowed_filter import AllowedFilter
from .archive_source import ArchiveSource
from .attempt import Attempt
from .audit_event import AuditEvent
from .audit_page import AuditPage
from .auth_mode import AuthMode
from .backlink import Backlink
from .base import Base
from .base_deleted import BaseDeleted
from .base_list import BaseList
from .base_summary import BaseSummary
from .batch_delete_request import BatchDeleteRequest
from .batch_upsert_request import BatchUpsertRequest
from .batch_upsert_result import BatchUpsertResult
from .cache_policy import CachePolicy
from .change_entry import ChangeEntry
from .change_feed import ChangeFeed
from .clone_request import CloneRequest
from .computed_info import ComputedInfo
from .computed_info_kind import ComputedInfoKind
from .computed_value import ComputedValue
from .condition import Condition
from .conversion import Conversion
from .created_token import CreatedToken
from .created_view_key import CreatedViewKey
from .created_webhook import CreatedWebhook
from .delete_many_result import DeleteManyResult
from .delete_records_x_allow_filtered_delete import DeleteRecordsXAllowFilteredDelete
from .delete_result import DeleteResult
from .delivery import Delivery
from .delivery_list import DeliveryList
from .delivery_state import DeliveryState
from .dropped import Dropped
from .dropped_kind import DroppedKind
from .dropped_list import DroppedList
from .error import Error
from .error_code import ErrorCode
from .error_details import ErrorDetails
from .error_error import ErrorError
from .event_type import EventType
from .export_request import ExportRequest
from .field_error import FieldError
from .field_info import FieldInfo
from .field_patch import FieldPatch
from .field_rules import FieldRules
from .field_type import FieldType
from .field_value_type_4 import FieldValueType4
from .file_settings import FileSettings
from .filter_arg_type_0 import FilterArgType0
from .get_view_data_params import GetViewDataParams
from .import_request import ImportRequest
from .import_request_mapping_type_0 import ImportRequestMappingType0
from .index_build import IndexBuild
from .index_info import IndexInfo
from .index_list import IndexList
from .index_suggestion import IndexSuggestion
from .invitation import Invitation
from .invitation_answered import InvitationAnswered
from .invitation_answered_status import InvitationAnsweredStatus
from .invitation_created import InvitationCreated
from .invitation_list import InvitationList
from .invitation_status import InvitationStatus
from .inviter import Inviter
from .job import Job
from .job_progress import JobProgress
from .job_result import JobResult
from .link_info import LinkInfo
from .link_patch import LinkPatch
from .list_webhook_deliveries_state import ListWebhookDeliveriesState
from .logged_out import LoggedOut
from .login import Login
from .me import Me
from .member import Member
from .member_list import MemberList
from .member_removed import MemberRemoved
from .member_request import MemberRequest
from .meta_auth import MetaAuth
from .meta_endpoint import MetaEndpoint
from .meta_examples import MetaExamples
from .meta_filter import MetaFilter
from .meta_pagination import MetaPagination
from .meta_param import MetaParam
from .meta_sort import MetaSort
from .meta_view import MetaView
from .my_invitation import MyInvitation
from .my_invitation_list import MyInvitationList
from .my_invitation_status import MyInvitationStatus
from .name_request import NameRequest
from .new_field import NewField
from .new_field_type import NewFieldType
from .new_index import NewIndex
from .new_link import NewLink
from .new_lookup import NewLookup
from .new_policy import NewPolicy
from .new_record_rule import NewRecordRule
from .new_rollup import NewRollup
from .new_table import NewTable
from .new_unique import NewUnique
from .not_converting import NotConverting
from .on_delete import OnDelete
from .open_api_document import OpenApiDocument
from .operator import Operator
from .page import Page
from .param_spec import ParamSpec
from .plan import Plan
from .plan_list import PlanList
from .plan_request import PlanRequest
from .plane_health import PlaneHealth
from .platform_health import PlatformHealth
from .policy_info import PolicyInfo
from .polled_event import PolledEvent
from .preflight import Preflight
from .publish_request import PublishRequest
from .purge_request import PurgeRequest
from .quota_request import QuotaRequest
from .quota_set import QuotaSet
from .quota_status import QuotaStatus
from .rate_limit import RateLimit
from .record import Record
from .record_changes import RecordChanges
from .record_create import RecordCreate
from .record_event import RecordEvent
from .record_included_type_0 import RecordIncludedType0
from .record_list import RecordList
from .record_update import RecordUpdate
from .refresh_request import RefreshRequest
from .register import Register
from .registered import Registered
from .restore_request import RestoreRequest
from .restored import Restored
from .restoring import Restoring
from .reverted import Reverted
from .role import Role
from .rollback_request import RollbackRequest
from .row_error import RowError
from .rule_info import RuleInfo
from .schema_change_result import SchemaChangeResult
from .schema_change_result_change import SchemaChangeResultChange
from .schema_change_result_field import SchemaChangeResultField
from .schema_change_result_schema_op import SchemaChangeResultSchemaOp
from .schema_change_result_steps_item import SchemaChangeResultStepsItem
from .schema_change_result_table import SchemaChangeResultTable
from .schema_op import SchemaOp
from .schema_op_list import SchemaOpList
from .schema_op_request_type_0 import SchemaOpRequestType0
from .schema_op_status import SchemaOpStatus
from .schema_op_steps_type_0_item import SchemaOpStepsType0Item
from .scope import Scope
from .session import Session
from .step_preflight import StepPreflight
from .storage_usage import StorageUsage
from .subject import Subject
from .suspend_request import SuspendRequest
from .table import Table
from .table_history import TableHistory
from .table_list import TableList
from .table_policies import TablePolicies
from .table_rules import TableRules
from .table_system_fields_item import TableSystemFieldsItem
from .tenant_base import TenantBase
from .tenant_detail import TenantDetail
from .tenant_list import TenantList
from .tenant_member import TenantMember
from .tenant_summary import TenantSummary
from .tenant_workspace import TenantWorkspace
from .token_info import TokenInfo
from .token_list import TokenList
from .token_request import TokenRequest
from .token_revoked import TokenRevoked
from .undo_item import UndoItem
from .undo_report import UndoReport
from .undo_request import UndoRequest
from .unique_info import UniqueInfo
from .upload_form import UploadForm
from .upload_form_fields import UploadFormFields
from .upload_request import UploadRequest
from .usage_day import UsageDay
from .usage_report import UsageReport
from .user_summary import UserSummary
from .validated import Validated
from .values import Values
from .view import View
from .view_cache import ViewCache
from .view_definition import ViewDefinition
from .view_deleted import ViewDeleted
from .view_filter import ViewFilter
from .view_key_info import ViewKeyInfo
from .view_key_list import ViewKeyList
from .view_key_revoked import ViewKeyRevoked
from .view_list import ViewList
from .view_meta import ViewMeta
from .view_page import ViewPage
from .view_published_definition_type_0 import ViewPublishedDefinitionType0
from .view_spec import ViewSpec
from .view_summary import ViewSummary
from .view_versions_item import ViewVersionsItem
from .watch_view_params import WatchViewParams
from .webhook import Webhook
from .webhook_deleted import WebhookDeleted
from .webhook_list import WebhookList
from .webhook_patch import WebhookPatch
from .webhook_request import WebhookRequest
from .when_absent import WhenAbsent
from .workspace import Workspace
from .workspace_list import WorkspaceList

__all__ = (
    "Aggregate",
    "AllowedFilter",
    "ArchiveSource",
    "Attempt",
    "AuditEvent",
    "AuditPage",
    "AuthMode",
    "Backlink",
    "Base",
    "BaseDeleted",
    "BaseList",
    "BaseSummary",
    "BatchDeleteRequest",
    "BatchUpsertRequest",
    "BatchUpsertResult",
    "CachePolicy",
    "ChangeEntry",
    "ChangeFeed",
    "CloneRequest",
    "ComputedInfo",
    "ComputedInfoKind",
    "ComputedValue",
    "Condition",
    "Conversion",
    "CreatedToken",
    "CreatedViewKey",
    "CreatedWebhook",
    "DeleteManyResult",
    "DeleteRecordsXAllowFilteredDelete",
    "DeleteResult",
    "Delivery",
    "DeliveryList",
    "DeliveryState",
    "Dropped",
    "DroppedKind",
    "DroppedList",
    "Error",
    "ErrorCode",
    "ErrorDetails",
    "ErrorError",
    "EventType",
    "ExportRequest",
    "FieldError",
    "FieldInfo",
    "FieldPatch",
    "FieldRules",
    "FieldType",
    "FieldValueType4",
    "FileSettings",
    "FilterArgType0",
    "GetViewDataParams",
    "ImportRequest",
    "ImportRequestMappingType0",
    "IndexBuild",
    "IndexInfo",
    "IndexList",
    "IndexSuggestion",
    "Invitation",
    "InvitationAnswered",
    "InvitationAnsweredStatus",
    "InvitationCreated",
    "InvitationList",
    "InvitationStatus",
    "Inviter",
    "Job",
    "JobProgress",
    "JobResult",
    "LinkInfo",
    "LinkPatch",
    "ListWebhookDeliveriesState",
    "LoggedOut",
    "Login",
    "Me",
    "Member",
    "MemberList",
    "MemberRemoved",
    "MemberRequest",
    "MetaAuth",
    "MetaEndpoint",
    "MetaExamples",
    "MetaFilter",
    "MetaPagination",
    "MetaParam",
    "MetaSort",
    "MetaView",
    "MyInvitation",
    "MyInvitationList",
    "MyInvitationStatus",
    "NameRequest",
    "NewField",
    "NewFieldType",
    "NewIndex",
    "NewLink",
    "NewLookup",
    "NewPolicy",
    "NewRecordRule",
    "NewRollup",
    "NewTable",
    "NewUnique",
    "NotConverting",
    "OnDelete",
    "OpenApiDocument",
    "Operator",
    "Page",
    "ParamSpec",
    "Plan",
    "PlanList",
    "PlanRequest",
    "PlaneHealth",
    "PlatformHealth",
    "PolicyInfo",
    "PolledEvent",
    "Preflight",
    "PublishRequest",
    "PurgeRequest",
    "QuotaRequest",
    "QuotaSet",
    "QuotaStatus",
    "RateLimit",
    "Record",
    "RecordChanges",
    "RecordCreate",
    "RecordEvent",
    "RecordIncludedType0",
    "RecordList",
    "RecordUpdate",
    "RefreshRequest",
    "Register",
    "Registered",
    "RestoreRequest",
    "Restored",
    "Restoring",
    "Reverted",
    "Role",
    "RollbackRequest",
    "RowError",
    "RuleInfo",
    "SchemaChangeResult",
    "SchemaChangeResultChange",
    "SchemaChangeResultField",
    "SchemaChangeResultSchemaOp",
    "SchemaChangeResultStepsItem",
    "SchemaChangeResultTable",
    "SchemaOp",
    "SchemaOpList",
    "SchemaOpRequestType0",
    "SchemaOpStatus",
    "SchemaOpStepsType0Item",
    "Scope",
    "Session",
    "StepPreflight",
    "StorageUsage",
    "Subject",
    "SuspendRequest",
    "Table",
    "TableHistory",
    "TableList",
    "TablePolicies",
    "TableRules",
    "TableSystemFieldsItem",
    "TenantBase",
    "TenantDetail",
    "TenantList",
    "TenantMember",
    "TenantSummary",
    "TenantWorkspace",
    "TokenInfo",
    "TokenList",
    "TokenRequest",
    "TokenRevoked",
    "UndoItem",
    "UndoReport",
    "UndoRequest",
    "UniqueInfo",
    "UploadForm",
    "UploadFormFields",
    "UploadRequest",
    "UsageDay",
    "UsageReport",
    "UserSummary",
    "Validated",
    "Values",
    "View",
    "ViewCache",
    "ViewDefinition",
    "ViewDeleted",
    "ViewFilter",
    "ViewKeyInfo",
    "ViewKeyList",
    "ViewKeyRevoked",
    "ViewList",
    "ViewMeta",
    "ViewPage",
    "ViewPublishedDefinitionType0",
    "ViewSpec",
    "ViewSummary",
    "ViewVersionsItem",
    "WatchViewParams",
    "Webhook",
    "WebhookDeleted",
    "WebhookList",
    "WebhookPatch",
    "WebhookRequest",
    "WhenAbsent",
    "Workspace",
    "WorkspaceList",
)
