//! What the management API answers with: one type per response body, serialized by the
//! origin and described in the OpenAPI document from the type itself (`openapi` crate), so
//! the document cannot drift from the answers.
