"""Read-side services for the caseworker pages: queries that apply backend.access, rules kept pure."""
