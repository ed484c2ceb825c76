// A program importing a module that does not exist: one line naming it, no "Require stack".
import "./does-not-exist";
