package dev.dobj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints an answer of {@link Inspect} as a table (columns padded to their widest cell). */
final class InspectOutput {
  private InspectOutput() {}

  static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] width = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(width[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    if (rows.isEmpty()) {
      out.println("(none)");
    }
  }

  /** A cell: text as itself, null as "-", anything else as its JSON. */
  static String cell(JsonNode n) {
    if (n == null || n.isNull()) {
      return "-";
    }
    return n.isTextual() ? n.asText() : n.toString();
  }
}
