CREATE TABLE `odd ``name`` table` (
  `select` int(11) NOT NULL,
  `values` varchar(20) DEFAULT NULL,
  `with space` varchar(20) DEFAULT NULL,
  `a``b` int(11) DEFAULT NULL,
  `日本語カラム` varchar(20) DEFAULT NULL,
  `#hash` int(11) DEFAULT NULL,
  `--dash` int(11) DEFAULT NULL,
  `),(` int(11) DEFAULT NULL,
  PRIMARY KEY (`select`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci