package com.acme.shop.cdc;

/** A contribution added ({@code sign} 1) to or retracted ({@code sign} -1) from its group. */
public record Delta(int sign, Contribution contribution) {
  String group() {
    return contribution.group();
  }
}
