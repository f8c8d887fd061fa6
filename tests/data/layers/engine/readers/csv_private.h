/* private to engine/readers */
