/**
 * @module lakesync
 * LakeSync in one package: every part by subpath export, and the command line.
 * Not built yet: this package exports nothing until its issue lands.
 */
export {};
