"""Contains all the data models used in inputs/outputs"""

from .base import Base
from .base_deleted import BaseDeleted
from .base_list import BaseList
from .base_summary import BaseSummary
from .batch_delete_request import BatchDeleteRequest
from .batch_upsert_request import BatchUpsertRequest
from .batch_upsert_result import BatchUpsertResult
from .cache_policy import CachePolicy
from .change_feed import ChangeFeed
from .change_feed_data_item import ChangeFeedDataItem
from .condition import Condition
from .created_token import CreatedToken
from .created_token_scopes_item import CreatedTokenScopesItem
from .created_view_key import CreatedViewKey
from .delete_many_result import DeleteManyResult
from .delete_records_x_allow_filtered_delete import DeleteRecordsXAllowFilteredDelete
from .delete_result import DeleteResult
from .error import Error
from .error_code import ErrorCode
from .error_details import ErrorDetails
from .error_error import ErrorError
from .field_error import FieldError
from .field_info import FieldInfo
from .field_patch import FieldPatch
from .field_type import FieldType
from .field_value_type_4 import FieldValueType4
from .get_view_data_params import GetViewDataParams
from .invitation import Invitation
from .invitation_answered import InvitationAnswered
from .invitation_answered_role import InvitationAnsweredRole
from .invitation_answered_status import InvitationAnsweredStatus
from .invitation_created import InvitationCreated
from .invitation_list import InvitationList
from .invitation_role import InvitationRole
from .invitation_status import InvitationStatus
from .logged_out import LoggedOut
from .login import Login
from .me import Me
from .member import Member
from .member_list import MemberList
from .member_removed import MemberRemoved
from .member_request import MemberRequest
from .member_request_role import MemberRequestRole
from .member_role import MemberRole
from .my_invitation import MyInvitation
from .my_invitation_invited_by import MyInvitationInvitedBy
from .my_invitation_list import MyInvitationList
from .my_invitation_role import MyInvitationRole
from .my_invitation_status import MyInvitationStatus
from .name_request import NameRequest
from .new_field import NewField
from .new_table import NewTable
from .open_api_document import OpenApiDocument
from .operator import Operator
from .publish_request import PublishRequest
from .publish_request_auth import PublishRequestAuth
from .quota_request import QuotaRequest
from .quota_set import QuotaSet
from .quota_set_quota import QuotaSetQuota
from .record import Record
from .record_create import RecordCreate
from .record_list import RecordList
from .record_update import RecordUpdate
from .refresh_request import RefreshRequest
from .register import Register
from .registered import Registered
from .registered_user import RegisteredUser
from .rollback_request import RollbackRequest
from .schema_change_result import SchemaChangeResult
from .schema_change_result_change import SchemaChangeResultChange
from .schema_change_result_field import SchemaChangeResultField
from .schema_change_result_schema_op import SchemaChangeResultSchemaOp
from .schema_change_result_steps_item import SchemaChangeResultStepsItem
from .schema_change_result_table import SchemaChangeResultTable
from .schema_op import SchemaOp
from .schema_op_list import SchemaOpList
from .schema_op_request import SchemaOpRequest
from .schema_op_status import SchemaOpStatus
from .schema_op_steps_item import SchemaOpStepsItem
from .session import Session
from .table import Table
from .table_list import TableList
from .table_system_fields_item import TableSystemFieldsItem
from .token_info import TokenInfo
from .token_info_scopes_item import TokenInfoScopesItem
from .token_list import TokenList
from .token_request import TokenRequest
from .token_request_rate_limit_type_0 import TokenRequestRateLimitType0
from .token_request_scopes_item import TokenRequestScopesItem
from .token_revoked import TokenRevoked
from .usage_report import UsageReport
from .usage_report_days_item import UsageReportDaysItem
from .usage_report_quota import UsageReportQuota
from .values import Values
from .view import View
from .view_auth import ViewAuth
from .view_definition import ViewDefinition
from .view_deleted import ViewDeleted
from .view_key_revoked import ViewKeyRevoked
from .view_list import ViewList
from .view_list_data_item import ViewListDataItem
from .view_meta import ViewMeta
from .view_meta_examples import ViewMetaExamples
from .view_page import ViewPage
from .view_page_page import ViewPagePage
from .view_published_definition_type_0 import ViewPublishedDefinitionType0
from .view_spec import ViewSpec
from .view_spec_allowed_filters_item import ViewSpecAllowedFiltersItem
from .view_spec_filters_item import ViewSpecFiltersItem
from .view_spec_params_item import ViewSpecParamsItem
from .view_spec_params_item_when_absent import ViewSpecParamsItemWhenAbsent
from .view_versions_item import ViewVersionsItem
from .workspace import Workspace
from .workspace_list import WorkspaceList
from .workspace_role import WorkspaceRole

__all__ = (
    "Base",
    "BaseDeleted",
    "BaseList",
    "BaseSummary",
    "BatchDeleteRequest",
    "BatchUpsertRequest",
    "BatchUpsertResult",
    "CachePolicy",
    "ChangeFeed",
    "ChangeFeedDataItem",
    "Condition",
    "CreatedToken",
    "CreatedTokenScopesItem",
    "CreatedViewKey",
    "DeleteManyResult",
    "DeleteRecordsXAllowFilteredDelete",
    "DeleteResult",
    "Error",
    "ErrorCode",
    "ErrorDetails",
    "ErrorError",
    "FieldError",
    "FieldInfo",
    "FieldPatch",
    "FieldType",
    "FieldValueType4",
    "GetViewDataParams",
    "Invitation",
    "InvitationAnswered",
    "InvitationAnsweredRole",
    "InvitationAnsweredStatus",
    "InvitationCreated",
    "InvitationList",
    "InvitationRole",
    "InvitationStatus",
    "LoggedOut",
    "Login",
    "Me",
    "Member",
    "MemberList",
    "MemberRemoved",
    "MemberRequest",
    "MemberRequestRole",
    "MemberRole",
    "MyInvitation",
    "MyInvitationInvitedBy",
    "MyInvitationList",
    "MyInvitationRole",
    "MyInvitationStatus",
    "NameRequest",
    "NewField",
    "NewTable",
    "OpenApiDocument",
    "Operator",
    "PublishRequest",
    "PublishRequestAuth",
    "QuotaRequest",
    "QuotaSet",
    "QuotaSetQuota",
    "Record",
    "RecordCreate",
    "RecordList",
    "RecordUpdate",
    "RefreshRequest",
    "Register",
    "Registered",
    "RegisteredUser",
    "RollbackRequest",
    "SchemaChangeResult",
    "SchemaChangeResultChange",
    "SchemaChangeResultField",
    "SchemaChangeResultSchemaOp",
    "SchemaChangeResultStepsItem",
    "SchemaChangeResultTable",
    "SchemaOp",
    "SchemaOpList",
    "SchemaOpRequest",
    "SchemaOpStatus",
    "SchemaOpStepsItem",
    "Session",
    "Table",
    "TableList",
    "TableSystemFieldsItem",
    "TokenInfo",
    "TokenInfoScopesItem",
    "TokenList",
    "TokenRequest",
    "TokenRequestRateLimitType0",
    "TokenRequestScopesItem",
    "TokenRevoked",
    "UsageReport",
    "UsageReportDaysItem",
    "UsageReportQuota",
    "Values",
    "View",
    "ViewAuth",
    "ViewDefinition",
    "ViewDeleted",
    "ViewKeyRevoked",
    "ViewList",
    "ViewListDataItem",
    "ViewMeta",
    "ViewMetaExamples",
    "ViewPage",
    "ViewPagePage",
    "ViewPublishedDefinitionType0",
    "ViewSpec",
    "ViewSpecAllowedFiltersItem",
    "ViewSpecFiltersItem",
    "ViewSpecParamsItem",
    "ViewSpecParamsItemWhenAbsent",
    "ViewVersionsItem",
    "Workspace",
    "WorkspaceList",
    "WorkspaceRole",
)
