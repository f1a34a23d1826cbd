{
  "signatures": [
    {
      "algorithm": "Ed25519",
      "key": "zl23ykZ6f2GB6ZjI6sbMun54tKeP5F8vNGjVYL_Erlw",
      "signature": "gSFT7cvBR7ejv_AjJEij-G5UHVs80u2Npdm9LKHWKKQ-2qI4Zz7FMSjjVTHDx8KVY8PWgERVx1qTW_w-5xwwAg"
    }
  ]
}
