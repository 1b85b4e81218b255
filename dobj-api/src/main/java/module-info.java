/** The dobj programming model: everything an application imports. Depends on the JDK only. */
module dev.dobj.api {
  exports dev.dobj;
  exports dev.dobj.storage;
  exports dev.dobj.fetch;
}
