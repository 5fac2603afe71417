; Units of TSX files, for agate's syntax layer (docs/queries.md).
;
; The TSX grammar is the TypeScript grammar plus JSX, so its units are TypeScript's: the line
; below makes agate read rules/languages/typescript.scm first. Add TSX-only patterns after it.
; inherits: typescript
