/**
 * @module lib/shared
 * Names and routes the site's layouts and pages share.
 */

/** The product's name, shown in the navigation bar and page titles. */
export const appName = "LakeSync";

/** Where the documentation pages live. */
export const docsRoute = "/docs";
