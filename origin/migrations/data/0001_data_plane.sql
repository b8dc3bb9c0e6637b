-- The data plane holds one schema per base (b_<base id>), created by the admin role
-- when a base is created (see shared::ddl). Nothing but the admin role may create objects.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
