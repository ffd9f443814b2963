package dev.lockstep.harness.workload;

import java.util.List;

/** What became of one guest request: a reply from the guest, or unknown (the library's {@code INFO}). */
public sealed interface GuestResult {

  int OK = 0;
  int FAIL = 1;
  int NIL = 2;
  int BAD_REQUEST = 3;
  int FULL = 4;

  /**
   * A guest reply: its status (see DEVICES.md), the read value for a READ, the list for a READ_LIST
   * (null otherwise), and the guest's own output sequence number.
   */
  record Reply(int status, Integer value, List<Integer> list, long outSeq) implements GuestResult {
    public Reply {
      list = list == null ? null : List.copyOf(list);
    }
  }

  /** The request was certainly never delivered to a primary: it did not happen. */
  record NotSent(String reason) implements GuestResult {}

  /** No reply within the call's bound: the request may or may not have taken effect. */
  record Unknown(String reason) implements GuestResult {}
}
