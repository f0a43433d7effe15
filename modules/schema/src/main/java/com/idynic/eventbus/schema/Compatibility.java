package com.idynic.eventbus.schema;

/**
 * How a new schema version must relate to the previous one.
 *
 * @since 0.2.0
 */
public enum Compatibility {
    /** consumers using the new schema can read data written with the previous one (the default) */
    BACKWARD,
    /** consumers using the previous schema can read data written with the new one */
    FORWARD,
    /** both */
    FULL,
    /** no check */
    NONE
}
