"""The peer of `cbp rfm` for `npm run bench`: the same RFM (docs/definitions.md) in pandas.

Reads a transaction CSV (customer, order_id, date, amount), takes the as-of date as the latest
purchase date, and writes per customer: recency (days), frequency (distinct orders bought),
monetary (sum of amounts, refunds included), and the 1..5 quantile scores with the product's tie
rule (score = 1 + floor(5 * (rank - 1) / count), ranks by rank(method='min')).
Usage: python3 rfm_pandas.py IN.csv OUT.csv
"""
import sys

import numpy as np
import pandas as pd


def scores(values: pd.Series, ascending: bool) -> pd.Series:
    rank = values.rank(method="min", ascending=ascending)
    return (1 + np.floor(5 * (rank - 1) / len(values))).astype(int)


def main(source: str, target: str) -> None:
    tx = pd.read_csv(source, dtype={"customer": str, "order_id": str, "amount": float}, parse_dates=["date"])
    purchases = tx[tx["amount"] > 0]
    as_of = purchases["date"].max()
    tx = tx[tx["date"] <= as_of]
    purchases = purchases[purchases["date"] <= as_of]
    bought = purchases.groupby("customer", sort=False).agg(last=("date", "max"), frequency=("order_id", "nunique"))
    monetary = tx.groupby("customer", sort=False)["amount"].sum()
    rfm = bought.join(monetary.rename("monetary"))
    rfm["recency"] = (as_of - rfm["last"]).dt.days
    rfm["r_score"] = scores(rfm["recency"], ascending=False)
    rfm["f_score"] = scores(rfm["frequency"], ascending=True)
    rfm["m_score"] = scores(rfm["monetary"].round(2), ascending=True)
    rfm[["recency", "frequency", "monetary", "r_score", "f_score", "m_score"]].to_csv(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
